from django.contrib.auth import authenticate, login, logout
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

import kibotics_analytics


def group_of(user):
    group = user.groups.first()
    return group.name if group else None


def index(request):
    return HttpResponse("Kibotics")


def exercise(request, pk):
    return HttpResponse(f"exercise {pk}")


def health(request):
    return HttpResponse("ok")


@csrf_exempt
def login_view(request):
    user = authenticate(request, username=request.POST["username"], password=request.POST["password"])
    if user is None:
        return HttpResponse(status=403)
    login(request, user)
    return HttpResponse("in")


def logout_view(request):
    logout(request)
    return HttpResponse("out")


def start_simulation(request, exercise_id):
    sim_id = kibotics_analytics.simulation_started(request.user, exercise_id, "websim", host="sim-3", request=request)
    return JsonResponse({"id": sim_id})


def boom(request):
    return 1 / 0
